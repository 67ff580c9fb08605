/**
 * Tasks on stored files, one file at a time: each id's tasks run in the order they came, each after the
 * one before has settled (a failed write does not stop the next), while other ids' tasks go on beside them.
 */
export type SerialTasks = (id: string, task: () => Promise<void>) => Promise<void>

export function serialTasks(): SerialTasks {
  const chains = new Map<string, Promise<void>>()
  return (id, task) => {
    const next = (chains.get(id) ?? Promise.resolve()).catch(() => undefined).then(task)
    chains.set(id, next)
    // The chain forgets an id once its last task settled; the caller still gets the task's own outcome.
    void next
      .finally(() => {
        if (chains.get(id) === next) chains.delete(id)
      })
      .catch(() => undefined)
    return next
  }
}
