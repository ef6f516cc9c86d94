const firstRetryDelayMs = 250;

/**
 * How long a message whose handler threw waits before it is offered again: a short, growing
 * pause (250 ms, 1 s, 4 s, …) so that a passing fault can clear, never longer than ackWait — a
 * failed delivery should not wait longer than a lost one would.
 */
export function retryDelayMs(deliveryCount: number, ackWaitMs: number): number {
  return Math.min(ackWaitMs, firstRetryDelayMs * 4 ** Math.max(0, deliveryCount - 1));
}
