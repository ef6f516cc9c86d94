// The page: upload a file, pick what it becomes, follow the job, download the result; below,
// the session's files and jobs as /api/_meta lays them out.
import { ConveyorApi } from './api-client.js';
import { ConversionPanel } from './conversion-panel.js';
import { byId, element } from './dom.js';
import { actionPath, resourceTable } from './resource-table.js';

const listLimit = 20;
const terminal = new Set(['completed', 'failed', 'cancelled']);
const api = new ConveyorApi('', window.localStorage);
const panel = new ConversionPanel(api, { onError: showError, onClear: clearError, onJobEnded: () => void refreshLists().catch(showError) });

/** @param {unknown} error */
function showError(error) {
  const message = error instanceof Error ? error.message : String(error);
  byId('error').replaceChildren(element('p', { role: 'alert' }, [message]));
}

function clearError() {
  byId('error').replaceChildren();
}

/** @param {File} file */
async function upload(file) {
  clearError();
  panel.reset();
  byId('upload-status').textContent = `Uploading ${file.name}…`;
  try {
    const record = await api.upload(file, file.name);
    byId('upload-status').textContent = '';
    await panel.choose(record);
    await refreshLists();
  } catch (error) {
    byId('upload-status').textContent = '';
    throw error;
  }
}

/** @param {string} orgId @param {string} fileId */
async function download(orgId, fileId) {
  window.location.assign(await api.downloadLink(orgId, fileId));
}

async function refreshLists() {
  const [fileMeta, jobMeta] = await Promise.all([api.meta('file'), api.meta('conversion-job')]);
  const [files, jobs] = await Promise.all([api.list(fileMeta.path, listLimit), api.list(jobMeta.path, listLimit)]);
  /** @param {import('./resource-table.js').MetaAction} action @param {Record<string, unknown>} record */
  const onAction = (action, record) => {
    clearError();
    api.json(action.method, actionPath(action, record)).then(refreshLists).catch(showError);
  };
  byId('files').replaceChildren(
    resourceTable(fileMeta, files.items, {
      empty: 'No files yet.',
      onAction,
      commands: [
        { label: 'Convert', run: (record) => void panel.choose(/** @type {any} */ (record)).catch(showError), shows: (record) => record.status === 'ready' },
        { label: 'Download', run: (record) => void download(String(record.org_id), String(record.id)).catch(showError), shows: (record) => record.status === 'ready' },
      ],
    }),
  );
  const fileNames = new Map(files.items.map((file) => [file.id, String(file.name)]));
  byId('jobs').replaceChildren(
    resourceTable(jobMeta, jobs.items, {
      empty: 'No conversions yet.',
      onAction,
      // A job names its source by id; the files listed above give it a name a person knows.
      cellText: (field, record) => (field.name === 'file_id' ? fileNames.get(record.file_id) : undefined),
      // The actions /api/_meta lists apply to some states only: a finished job cannot be cancelled, only a failed one retried.
      actionShows: (action, record) => (action.name === 'cancel' ? !terminal.has(String(record.status)) : action.name === 'retry' ? record.status === 'failed' : true),
      commands: [{ label: 'Download', run: (record) => void download(String(record.org_id), String(record.output_file_id)).catch(showError), shows: (record) => Boolean(record.output_file_id) }],
    }),
  );
}

const picker = /** @type {HTMLInputElement} */ (byId('file'));
picker.addEventListener('change', () => {
  const file = picker.files?.[0];
  if (file) upload(file).catch(showError);
  picker.value = '';
});

const dropZone = byId('drop-zone');
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (file) upload(file).catch(showError);
});
byId('refresh').addEventListener('click', () => void refreshLists().catch(showError));

api
  .start()
  .then(refreshLists)
  .catch(showError);
