import { setNewest } from '../system/newest-entries.js';

/**
 * The task appends a process manager made most recently, by message id, each as its promise
 * (settled or still in flight); the oldest are forgotten first once `capacity` is reached.
 */
export class RecentDispatches {
  private readonly appends = new Map<string, Promise<void>>();

  constructor(private readonly capacity: number) {}

  /** Runs `append` for `messageId`, remembered while it runs and after it succeeds; a failure is forgotten. */
  async track(messageId: string, append: () => Promise<void>): Promise<void> {
    const appending = append();
    setNewest(this.appends, messageId, appending, this.capacity);
    try {
      await appending;
    } catch (error) {
      if (this.appends.get(messageId) === appending) this.appends.delete(messageId);
      throw error;
    }
  }

  /** Whether the task was appended here, waiting for an append still in flight; false if it failed or was never made. */
  async appended(messageId: string): Promise<boolean> {
    const appending = this.appends.get(messageId);
    if (!appending) return false;
    return appending.then(
      () => true,
      () => false,
    );
  }
}
