/**
 * A binary min-heap ordered by `precedes`. Items that neither precedes come out in the order
 * they went in, so that a planner using it is as deterministic as a first-found linear scan.
 *
 * @example
 * const heap = new BinaryHeap<number>((a, b) => a < b);
 * heap.push(3); heap.push(1);
 * heap.pop(); // 1
 */
export class BinaryHeap<T> {
  private readonly entries: Array<{ item: T; order: number }> = [];
  private pushed = 0;

  constructor(private readonly precedes: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.entries.length;
  }

  push(item: T): void {
    this.entries.push({ item, order: this.pushed++ });
    this.siftUp(this.entries.length - 1);
  }

  /** Removes and returns the first item, or undefined when the heap is empty. */
  pop(): T | undefined {
    const first = this.entries[0];
    const last = this.entries.pop();
    if (first === undefined || last === undefined) return undefined;
    if (this.entries.length > 0) {
      this.entries[0] = last;
      this.siftDown(0);
    }
    return first.item;
  }

  private before(i: number, j: number): boolean {
    const a = this.entries[i]!;
    const b = this.entries[j]!;
    if (this.precedes(a.item, b.item)) return true;
    if (this.precedes(b.item, a.item)) return false;
    return a.order < b.order;
  }

  private swap(i: number, j: number): void {
    const entry = this.entries[i]!;
    this.entries[i] = this.entries[j]!;
    this.entries[j] = entry;
  }

  private siftUp(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const count = this.entries.length;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let first = index;
      if (left < count && this.before(left, first)) first = left;
      if (right < count && this.before(right, first)) first = right;
      if (first === index) return;
      this.swap(index, first);
      index = first;
    }
  }
}
