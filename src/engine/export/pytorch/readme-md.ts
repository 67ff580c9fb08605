/** README.md of an exported project: how to run it on a CPU, one GPU, several GPUs and several machines. */
export interface ReadmeFacts {
  title: string
  iteration: number
  iterations: number
  precision: string
  optimizer: string
  dataNote: string
}

export function readmeMd(facts: ReadmeFacts): string {
  const { title, iteration, iterations } = facts
  return `# ${title}, in PyTorch

Exported by Gradient Lab. \`checkpoint.safetensors\` is the lab's model file at iteration ${iteration}: the
network's tensors, the optimizer's buffers and, in its metadata, the run's settings, the random generator's
state and the last evaluation. \`train.py\` continues the run exactly as \`lab train --resume\` would: the
same mini-batches (the lab's generator, ported in \`lab_random.py\`), the same dropout masks, the course's
update rules (\`optimizers.py\`), weight decay added as the lab adds it. The run's settings are at the top
of \`train.py\`. ${facts.dataNote}

Needs Python 3.8+ and PyTorch 1.13 or 2.x (\`pip install -r requirements.txt\`).

## Run it

\`\`\`sh
python train.py                                 # on the CPU, to the run's ${iterations} iterations
python train.py --iters 5000 --eval-every 500   # --iters is the run's total, counted from its start
python train.py --json                          # the lines \`lab train --json\` prints
python train.py --out trained.safetensors       # then: Models > Import model… in the lab, or lab eval --model trained.safetensors
python train.py --device cuda                   # one GPU
python train.py --data ~/mnist                  # other data: an MNIST IDX folder, the lab's stored set (.safetensors),
                                                # CIFAR binary batches, or train/ and test/ class folders
\`\`\`

\`--iters\` equal to the checkpoint's iteration (${iteration}) trains nothing: it evaluates the checkpoint, and
\`--out\` then writes its tensors back unchanged.

## Several GPUs, several machines

Under \`torchrun\`, \`train.py\` trains with DistributedDataParallel (gloo on the CPU, nccl on GPUs). Every
process draws the lab's whole batch from the same generator and trains on its share of the rows; batch norm
uses the statistics of the whole batch (summed over the processes), and the loss is the whole batch's. So N
processes follow the one-process run, up to floating-point rounding.

\`\`\`sh
torchrun --standalone --nproc_per_node=4 train.py --device cuda --out trained.safetensors
# two machines, four GPUs each: run on both, with the first machine's address
torchrun --nnodes=2 --nproc_per_node=4 --node_rank=0 --master_addr=10.0.0.1 --master_port=29500 train.py --device cuda   # machine 1
torchrun --nnodes=2 --nproc_per_node=4 --node_rank=1 --master_addr=10.0.0.1 --master_port=29500 train.py --device cuda   # machine 2
\`\`\`

Without torchrun (its 1.13 build fails to start under Python 3.11), set what torchrun sets and start the
processes yourself:

\`\`\`sh
for r in 0 1; do RANK=$r LOCAL_RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 python train.py & done; wait
\`\`\`

## What is exact and what is close

- Exact: the batches, the dropout masks, the initial state (every tensor of the checkpoint, bit for bit),
  the update rules and their arithmetic (float64, rounded to ${facts.precision} where the lab stores a value), the
  evaluation schedule, and a round trip lab → PyTorch → lab without training.
- Close: the matrix products, convolutions and sums run in PyTorch's own order, so values differ in their
  last bits (float32: about 1e-7 relative per operation), and these differences grow slowly as training
  goes on. On a GPU, with several processes, or with another PyTorch, the same holds.

## Files

| file | what it is |
|---|---|
| \`model.py\` | the network, layer by layer, with the lab's tensor names |
| \`lab_layers.py\` | the lab's layers: the course's dropout and batch norm, padded pooling, layer/group/instance norm |
| \`train.py\` | the run's settings and the training loop |
| \`optimizers.py\` | ${facts.optimizer} and the other course optimizers, with the lab's exact rules |
| \`lab_random.py\` | the lab's random generator (xoshiro128**), bit for bit |
| \`data.py\` | the data readers |
| \`safetensors_io.py\` | safetensors without the \`safetensors\` package (used when installed), and the lab's model file |
| \`checkpoint.safetensors\` | the lab's checkpoint |
`
}
