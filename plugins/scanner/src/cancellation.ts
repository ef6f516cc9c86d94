import { cancellationOf } from '@conveyor/contracts';

export const { cancelledError, throwIfCancelled } = cancellationOf('scan');
