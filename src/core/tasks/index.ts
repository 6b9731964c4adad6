export * from './types';
export { taskSupportOf, asksForTask, clientTaskCapabilities, serverRunsToolTasks, type TaskSupport } from './policy';
export {
  parseTask,
  createdTask,
  getTask,
  cancelTask,
  listTasks,
  waitForTask,
  taskOutcome,
  followTask,
  pollDelay,
  detachedResult,
  detachedTask,
  DEFAULT_POLL_MS,
  type TaskChannel,
} from './protocol';
