/**
 * `lab`: Gradient Lab without a window. `npm run lab -- <command> [flags]`.
 */
import { EngineError } from '../engine/protocol/error-codes'
import { installWasmBackends } from '../engine/kernels/install-wasm-backends'
import { exitCodeFor, UsageError } from './args'
import { gridCommand } from './commands/grid'
import { sweepCommand } from './commands/sweep'
import { im2colCommand } from './commands/im2col'
import { presetsCommand } from './commands/presets'
import { trainCommand } from './commands/train'
import { evalCommand } from './commands/eval'
import { exportCommand } from './commands/export'
import { showCommand } from './commands/show'
import { dataCommand } from './commands/data'
import { explainCommand } from './commands/explain'
import { embedCommand } from './commands/embed'

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  presets: presetsCommand,
  train: trainCommand,
  grid: gridCommand,
  sweep: sweepCommand,
  im2col: im2colCommand,
  eval: evalCommand,
  export: exportCommand,
  show: showCommand,
  data: dataCommand,
  explain: explainCommand,
  embed: embedCommand
}

const HELP = `usage: lab <command> [flags]
  presets [--json]                     list the preset ids
  train --preset ID [--iters N] [--seed S] [--eval-every N] [--eval-subset K] [--data NAME|DIR] [--augment SPEC] [--save FILE [--checkpoint-every N]] [--json]
                                       train a preset headless on the bundled MNIST, a set of the data
                                       library (NAME) or a folder (DIR: IDX files, class folders, CIFAR);
                                       --augment shift=2,rotate=10,flip,crop=4,noise=0.05: seeded changes to each batch;
                                       --eval-subset K: intermediate evaluations on the first K images only;
                                       --save FILE: write the final model as a checkpoint (.safetensors)
  train --config FILE.json [--batch N] [--lr X] [--seed S] [--precision P] [--threads N] [...]
                                       run a run file (the settings object that show prints);
                                       --batch, --lr, --seed override a preset's or a file's value;
                                       --precision float32 (fast, the default) or float64 (the course's);
                                       --threads N: threads for the matrix products (default: all cores)
  show --preset ID                     the preset's full run settings as JSON (a run file)
  train --resume FILE [--iters N] [--eval-every N] [--json]
                                       continue a checkpoint; --iters is the run's total from its start
  eval --model FILE [--data NAME|DIR] [--json]
                                       test accuracy and confusion matrix of a saved model
  export --model FILE --format onnx --out FILE
                                       a saved model as ONNX
  export --model FILE | --preset ID | --config FILE.json --format pytorch --out DIR [--data NAME|DIR] [--force]
                                       the run as a PyTorch project that continues it (train.py, torchrun)
  explain --model FILE [--data NAME|DIR] [--split test|train] --index I --method saliency|gradxinput|smoothgrad|integrated|occlusion|gradcam [--class K] [--layer NAME] [--json]
                                       why the model answers as it does for one image: a map, larger = more
                                       important for the class (the predicted one unless --class)
  embed --model FILE [--data NAME|DIR] [--layer NAME] --method pca|tsne|umap [--n N] [--seed S] [--json]
                                       a layer's activations (default: the last hidden layer) for the first N
                                       test images (default 1000) projected to 2-D, seeded: the classes as the
                                       network separates them
  grid --presets a,b,c [--seeds N] [--seed S] [--batch N] [--lr X] [--precision P] [--iters N] [--eval-every N] [--eval-subset K] [--jobs N] [--data NAME|DIR] [--augment SPEC] [--json]
                                       train presets × seeds 1…N (or S…S+N−1) in parallel; print mean ± sd per preset
  sweep --config SWEEP.json [--jobs N] [--threads N] [--data NAME|DIR] [--out DIR] [--save-models] [--json]
                                       a base run × a grid of values or random draws × seeds, on N workers (one per
                                       core), with successive halving if the file asks; run again to resume (README: Sweeps)
  data import SRC --name NAME [--size S | --size HxW] [--grey | --colour] [--test-split F] [--seed S] [--strict] [--json]
                                       import class folders, CIFAR-10/100 or IDX files into the data library
                                       (shared with the app; GRADIENT_LAB_HOME=DIR sets where it is)
  data list [--json] | data remove NAME
                                       the data library's sets; remove one
  im2col --input FILE.json --fh N [--fw N] [--stride S] [--pad P] [--col2im]
                                       the course's im2col of an N×C×H×W JSON array (and col2im of it)`

async function main(argv: string[]): Promise<number> {
  installWasmBackends() // every command computes in this process's engine
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP + '\n')
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) throw new UsageError(`unknown command "${name}"\n${HELP}`)
  return command(rest)
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // Expected problems (bad flags, bad data, bad settings) are one line; only bugs show a stack.
    const code = exitCodeFor(error)
    const expected = code === 2 || (error instanceof EngineError && error.code !== 'INTERNAL')
    process.stderr.write(expected ? `lab: ${(error as Error).message}\n` : `lab: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exitCode = code
  }
)
