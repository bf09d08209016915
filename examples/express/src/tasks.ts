/** A tiny in-memory task list, one per owner: the "business data" the example API serves. */

interface Task {
  id: string;
  title: string;
  done: boolean;
  createdAt: string;
}

interface TaskList {
  list(ownerId: string | null): Task[];
  search(ownerId: string | null, text: string): Task[];
  add(ownerId: string | null, title: string): Task;
  remove(ownerId: string | null, id: string): boolean;
}

export function createTaskList(): TaskList {
  const byOwner = new Map<string | null, Task[]>();
  let next = 1;
  const of = (ownerId: string | null): Task[] => {
    let tasks = byOwner.get(ownerId);
    if (!tasks) {
      tasks = [];
      byOwner.set(ownerId, tasks);
    }
    return tasks;
  };
  return {
    list: (ownerId) => [...of(ownerId)],
    search: (ownerId, text) =>
      of(ownerId).filter((task) => task.title.toLowerCase().includes(text.toLowerCase())),
    add(ownerId, title) {
      const task = { id: `task_${next++}`, title, done: false, createdAt: new Date().toISOString() };
      of(ownerId).push(task);
      return task;
    },
    remove(ownerId, id) {
      const tasks = of(ownerId);
      const index = tasks.findIndex((task) => task.id === id);
      if (index === -1) return false;
      tasks.splice(index, 1);
      return true;
    },
  };
}
