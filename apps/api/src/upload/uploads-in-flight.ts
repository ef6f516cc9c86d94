/**
 * The uploads this process is receiving right now, by file id, so that aborting an upload
 * also stops the bytes still coming in for it here (rather than storing them to throw away).
 * Another api process's in-flight bytes are refused when they try to register instead.
 */
export class UploadsInFlight {
  private readonly receiving = new Map<string, Set<AbortController>>();

  /** Marks an upload as being received; call `done` when it ends, however it ends. */
  begin(fileId: string): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const controllers = this.receiving.get(fileId) ?? new Set<AbortController>();
    controllers.add(controller);
    this.receiving.set(fileId, controllers);
    const done = () => {
      controllers.delete(controller);
      if (controllers.size === 0 && this.receiving.get(fileId) === controllers) this.receiving.delete(fileId);
    };
    return { signal: controller.signal, done };
  }

  /** Stops every upload of the file that is being received here. */
  abort(fileId: string): void {
    for (const controller of this.receiving.get(fileId) ?? []) controller.abort();
  }
}
