import { cancellationOf } from '@conveyor/contracts';

// exceljs cannot be stopped while it loads a workbook: settleOrCancel lets it run on, in memory only.
export const { cancelledError, throwIfCancelled, settleOrCancel } = cancellationOf('data conversion');
