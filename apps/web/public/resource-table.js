// A table of a resource's records, laid out as /api/_meta describes the resource: its list
// columns, their labels and types, and the actions a row offers.
import { element } from './dom.js';
import { formatValue } from './display.js';

/**
 * @typedef {{ name: string; type: string; label: string }} MetaField
 * @typedef {{ name: string; method: string; path: string; summary?: string; allowed: boolean }} MetaAction
 * @typedef {{ name: string; label: string; path: string; fields: MetaField[]; list_columns: string[]; actions: MetaAction[] }} ResourceMeta
 * @typedef {{ label: string; run(record: Record<string, unknown>): void; shows?(record: Record<string, unknown>): boolean }} RowCommand
 */

/**
 * The path of a record's action: `{org_id}` and `{id}` filled in from the record.
 * @param {MetaAction} action
 * @param {Record<string, unknown>} record
 */
export function actionPath(action, record) {
  return action.path.replace(/\{(\w+)\}/g, (_match, name) => encodeURIComponent(String(record[name] ?? '')));
}

/**
 * @param {ResourceMeta} meta
 * @param {Array<Record<string, unknown>>} records
 * @param {{ commands: RowCommand[]; onAction(action: MetaAction, record: Record<string, unknown>): void; actionShows?(action: MetaAction, record: Record<string, unknown>): boolean; cellText?(field: MetaField, record: Record<string, unknown>): string | undefined; empty: string }} behaviour
 */
export function resourceTable(meta, records, behaviour) {
  if (records.length === 0) return element('p', { class: 'empty' }, [behaviour.empty]);
  const fields = meta.list_columns.map((name) => meta.fields.find((field) => field.name === name) ?? { name, type: 'string', label: name });
  const actions = meta.actions.filter((action) => action.allowed && action.method === 'POST');
  const head = element('tr', {}, [...fields.map((field) => element('th', { scope: 'col' }, [field.label])), element('th', { scope: 'col', class: 'actions' }, [''])]);
  const rows = records.map((record) => {
    const buttons = [
      ...behaviour.commands.filter((command) => command.shows?.(record) ?? true).map((command) => button(command.label, () => command.run(record))),
      ...actions.filter((action) => behaviour.actionShows?.(action, record) ?? true).map((action) => {
        const control = button(labelOfAction(action.name), () => behaviour.onAction(action, record));
        if (action.summary) control.title = action.summary;
        return control;
      }),
    ];
    return element('tr', {}, [...fields.map((field) => element('td', { 'data-field': field.name }, [behaviour.cellText?.(field, record) ?? formatValue(field, record[field.name])])), element('td', { class: 'actions' }, buttons)]);
  });
  return element('table', {}, [element('caption', { class: 'visually-hidden' }, [meta.label]), element('thead', {}, [head]), element('tbody', {}, rows)]);
}

/**
 * @param {string} label
 * @param {() => void} onClick
 */
function button(label, onClick) {
  const control = element('button', { type: 'button', class: 'link' }, [label]);
  control.addEventListener('click', onClick);
  return control;
}

/** @param {string} name */
function labelOfAction(name) {
  return name.charAt(0).toUpperCase() + name.slice(1).replace(/[-_]/g, ' ');
}
