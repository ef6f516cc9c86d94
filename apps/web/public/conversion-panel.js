// The middle of the page: the chosen file, what it can become, the options, and the running job.
import { byId, element } from './dom.js';
import { formatSize } from './display.js';
import { OptionInputError, optionValues } from './option-fields.js';
import { applyPreset, readOptionInputs, renderOptionInputs } from './options-form.js';

/**
 * @typedef {import('./api-client.js').ConveyorApi} ConveyorApi
 * @typedef {import('./api-client.js').FileRecord} FileRecord
 * @typedef {import('./api-client.js').ConversionTarget} ConversionTarget
 * @typedef {import('./api-client.js').Job} Job
 * @typedef {import('./option-fields.js').OptionField} OptionField
 */

export class ConversionPanel {
  /**
   * @param {ConveyorApi} api
   * @param {{ onError(error: unknown): void; onClear(): void; onJobEnded(): void }} events
   */
  constructor(api, events) {
    this.api = api;
    this.events = events;
    this.panel = byId('convert');
    this.form = /** @type {HTMLFormElement} */ (byId('convert-form'));
    this.target = /** @type {HTMLSelectElement} */ (byId('target'));
    this.preset = /** @type {HTMLSelectElement} */ (byId('preset'));
    this.options = byId('options');
    this.submit = /** @type {HTMLButtonElement} */ (byId('convert-button'));
    /** @type {FileRecord | undefined} */
    this.file = undefined;
    /** @type {ConversionTarget[]} */
    this.targets = [];
    /** @type {OptionField[]} */
    this.fields = [];
    this.target.addEventListener('change', () => this.showTarget());
    this.preset.addEventListener('change', () => this.showPreset());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.convert().catch((error) => this.events.onError(error));
    });
  }

  /** Hides the panel while another file is on its way. */
  reset() {
    this.file = undefined;
    this.panel.hidden = true;
    byId('job').replaceChildren();
  }

  /**
   * Shows what `file` can become.
   * @param {FileRecord} file
   */
  async choose(file) {
    this.file = file;
    byId('source').textContent = `${file.name} · ${file.format} · ${formatSize(file.size)}`;
    byId('job').replaceChildren();
    const { conversions } = await this.api.conversions(file);
    this.targets = conversions;
    this.target.replaceChildren(
      ...conversions.map((conversion) => {
        const steps = conversion.hops > 1 ? ` · ${conversion.hops} steps` : '';
        return element('option', { value: conversion.target }, [`${conversion.target.toUpperCase()}${steps}${conversion.lossy ? ' · lossy' : ''}`]);
      }),
    );
    this.panel.hidden = false;
    this.submit.disabled = conversions.length === 0;
    if (conversions.length === 0) {
      this.options.replaceChildren(element('p', { class: 'hint' }, [`Nothing here converts ${file.format} files.`]));
      this.preset.replaceChildren();
      return;
    }
    this.showTarget();
  }

  showTarget() {
    const conversion = this.targets.find((candidate) => candidate.target === this.target.value);
    if (!conversion) return;
    this.fields = renderOptionInputs(this.options, conversion.options);
    this.preset.replaceChildren(element('option', { value: '' }, ['none']), ...conversion.presets.map((preset) => element('option', { value: preset.id }, [preset.label])));
    const presetRow = /** @type {HTMLElement} */ (this.preset.closest('.field'));
    presetRow.hidden = conversion.presets.length === 0;
  }

  showPreset() {
    const conversion = this.targets.find((candidate) => candidate.target === this.target.value);
    const preset = conversion?.presets.find((candidate) => candidate.id === this.preset.value);
    applyPreset(this.options, this.fields, preset?.params ?? {});
  }

  async convert() {
    const file = this.file;
    if (!file) return;
    this.events.onClear();
    let options;
    try {
      options = optionValues(this.fields, readOptionInputs(this.options, this.fields));
    } catch (error) {
      if (!(error instanceof OptionInputError)) throw error;
      const input = /** @type {HTMLElement | null} */ (this.options.querySelector(`[name="${error.field}"]`));
      input?.focus();
      throw error;
    }
    this.submit.disabled = true;
    try {
      const job = await this.api.convert(file, this.target.value, options);
      // Another file may be chosen while this one converts: its job then no longer shows here.
      const stillShown = () => this.file === file;
      const ended = await this.api.follow(job, (current) => stillShown() && this.showJob(current));
      if (ended.status === 'completed' && ended.output_file_id && stillShown()) {
        const link = await this.api.downloadLink(ended.org_id, ended.output_file_id);
        byId('job').append(element('p', {}, [element('a', { class: 'download', href: link, download: '' }, ['Download the result'])]));
      }
      this.events.onJobEnded();
    } finally {
      this.submit.disabled = false;
    }
  }

  /** @param {Job} job */
  showJob(job) {
    const failed = job.status === 'failed' ? [element('p', { class: 'error', role: 'alert' }, [`${job.error_code ?? 'failed'}: ${job.error_message ?? ''}`])] : [];
    byId('job').replaceChildren(
      element('p', { role: 'status' }, [`Job ${job.status}`]),
      element('progress', { max: 100, value: job.progress_pct, 'aria-label': 'Progress' }),
      ...failed,
    );
  }
}
