/** A tiny in-memory task list per owner (on `globalThis`, like the keyward instance). */

interface Task {
  id: string;
  title: string;
  done: boolean;
  createdAt: string;
}

interface TaskState {
  next: number;
  byOwner: Map<string | null, Task[]>;
}

const holder = globalThis as typeof globalThis & { __keywardExampleTasks?: TaskState };
holder.__keywardExampleTasks ??= { next: 1, byOwner: new Map() };
const state = holder.__keywardExampleTasks;

function of(ownerId: string | null): Task[] {
  let tasks = state.byOwner.get(ownerId);
  if (!tasks) {
    tasks = [];
    state.byOwner.set(ownerId, tasks);
  }
  return tasks;
}

export const tasks = {
  list: (ownerId: string | null): Task[] => [...of(ownerId)],
  get: (ownerId: string | null, id: string): Task | undefined => of(ownerId).find((task) => task.id === id),
  search: (ownerId: string | null, text: string): Task[] =>
    of(ownerId).filter((task) => task.title.toLowerCase().includes(text.toLowerCase())),
  add(ownerId: string | null, title: string): Task {
    const task = { id: `task_${state.next++}`, title, done: false, createdAt: new Date().toISOString() };
    of(ownerId).push(task);
    return task;
  },
  remove(ownerId: string | null, id: string): boolean {
    const list = of(ownerId);
    const index = list.findIndex((task) => task.id === id);
    if (index === -1) return false;
    list.splice(index, 1);
    return true;
  },
};
