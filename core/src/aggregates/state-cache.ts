import { setNewest } from '../system/newest-entries.js';

/** Folded aggregate states by subject, oldest evicted first once `capacity` is reached. */
export class StateCache {
  private readonly entries = new Map<string, { state: unknown; sequence: number }>();

  constructor(private readonly capacity: number) {}

  get<State>(subject: string): { state: State; sequence: number } | undefined {
    const entry = this.entries.get(subject);
    if (!entry) return undefined;
    this.entries.delete(subject);
    this.entries.set(subject, entry);
    return entry as { state: State; sequence: number };
  }

  set(subject: string, state: unknown, sequence: number): void {
    setNewest(this.entries, subject, { state, sequence }, this.capacity);
  }

  delete(subject: string): void {
    this.entries.delete(subject);
  }
}
