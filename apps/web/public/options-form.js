// The conversion form's option inputs, built from the chosen target's schema.
import { element } from './dom.js';
import { optionFields, presetEntries } from './option-fields.js';

/** @typedef {import('./option-fields.js').OptionField} OptionField */

/**
 * Fills `container` with one input per option of `schema`, and answers the fields.
 * @param {HTMLElement} container
 * @param {Record<string, unknown>} schema
 * @returns {OptionField[]}
 */
export function renderOptionInputs(container, schema) {
  const fields = optionFields(schema);
  container.replaceChildren(...fields.map(inputRow));
  if (fields.length === 0) container.append(element('p', { class: 'hint' }, ['This conversion has no options.']));
  return fields;
}

/** @param {OptionField} field */
function inputRow(field) {
  const id = `option-${field.name}`;
  const hint = field.description ? [element('small', { id: `${id}-hint` }, [field.description])] : [];
  const described = field.description ? `${id}-hint` : undefined;
  if (field.kind === 'boolean') {
    const box = element('input', { type: 'checkbox', id, name: field.name, 'aria-describedby': described, checked: field.defaultValue === true });
    return element('div', { class: 'field checkbox' }, [box, element('label', { for: id }, [field.label]), ...hint]);
  }
  let input;
  if (field.kind === 'choice') {
    const placeholder = field.defaultValue === undefined ? 'default' : `default (${String(field.defaultValue)})`;
    input = element('select', { id, name: field.name, 'aria-describedby': described }, [element('option', { value: '' }, [placeholder]), ...field.choices.map((choice) => element('option', { value: choice }, [choice]))]);
  } else {
    const numeric = field.kind === 'integer' || field.kind === 'number';
    input = element('input', {
      id,
      name: field.name,
      type: numeric ? 'number' : 'text',
      step: numeric ? (field.kind === 'integer' ? 1 : 'any') : undefined,
      min: field.minimum,
      max: field.maximum,
      placeholder: field.defaultValue === undefined ? undefined : String(field.defaultValue),
      'aria-describedby': described,
    });
  }
  return element('div', { class: 'field' }, [element('label', { for: id }, [field.label]), input, ...hint]);
}

/**
 * What the inputs hold, by option name.
 * @param {HTMLElement} container
 * @param {OptionField[]} fields
 * @returns {Record<string, string | boolean>}
 */
export function readOptionInputs(container, fields) {
  return Object.fromEntries(
    fields.map((field) => {
      const input = /** @type {HTMLInputElement | HTMLSelectElement | null} */ (container.querySelector(`[name="${field.name}"]`));
      if (!input) return [field.name, ''];
      return [field.name, input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value];
    }),
  );
}

/**
 * Sets the inputs to a preset's params.
 * @param {HTMLElement} container
 * @param {OptionField[]} fields
 * @param {Record<string, unknown>} params
 */
export function applyPreset(container, fields, params) {
  const entries = presetEntries(fields, params);
  for (const field of fields) {
    const input = /** @type {HTMLInputElement | HTMLSelectElement | null} */ (container.querySelector(`[name="${field.name}"]`));
    const value = entries[field.name];
    if (!input) continue;
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = value === true;
    else input.value = String(value ?? '');
  }
}
