// Turns a conversion's options schema (JSON Schema, as GET /api/files/{org_id}/{id}/conversions
// publishes it) into form fields, and what the user typed back into options. No DOM here.

/**
 * @typedef {'integer' | 'number' | 'boolean' | 'choice' | 'text'} FieldKind
 * @typedef {{ name: string; label: string; kind: FieldKind; description: string; choices: string[]; minimum?: number; maximum?: number; defaultValue?: unknown; acceptsInteger: boolean }} OptionField
 */

/** @param {string} name e.g. `preserve_metadata` or `pdfProfile` */
export function labelOf(name) {
  const words = name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * @param {Record<string, unknown>} property
 * @returns {FieldKind}
 */
function kindOf(property) {
  if (Array.isArray(property.enum)) return 'choice';
  if (property.type === 'integer') return 'integer';
  if (property.type === 'number') return 'number';
  if (property.type === 'boolean') return 'boolean';
  return 'text';
}

/**
 * The fields of an options schema, in the schema's order.
 * @param {Record<string, unknown> | undefined} schema
 * @returns {OptionField[]}
 */
export function optionFields(schema) {
  const properties = /** @type {Record<string, Record<string, unknown>>} */ (schema?.properties ?? {});
  return Object.entries(properties).map(([name, property]) => {
    const alternatives = /** @type {Array<Record<string, unknown>>} */ (property.oneOf ?? property.anyOf ?? []);
    /** @type {OptionField} */
    const field = {
      name,
      label: labelOf(name),
      kind: kindOf(property),
      description: typeof property.description === 'string' ? property.description : '',
      choices: Array.isArray(property.enum) ? property.enum.map(String) : [],
      // A field that takes text or a number (a worksheet's name or position) sends digits as a number.
      acceptsInteger: alternatives.some((alternative) => alternative.type === 'integer'),
    };
    if (typeof property.minimum === 'number') field.minimum = property.minimum;
    if (typeof property.maximum === 'number') field.maximum = property.maximum;
    if (property.default !== undefined) field.defaultValue = property.default;
    return field;
  });
}

/** A value the user entered that the field cannot take. */
export class OptionInputError extends Error {
  /**
   * @param {string} field
   * @param {string} message
   */
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

/**
 * The options to send, from what the form holds: an empty field is left out (the converter's
 * default applies), numbers become numbers, and a box is sent only when it differs from its
 * default. The server checks the values again against the schema.
 * @param {OptionField[]} fields
 * @param {Record<string, string | boolean>} entered
 * @returns {Record<string, unknown>}
 */
export function optionValues(fields, entered) {
  /** @type {Record<string, unknown>} */
  const options = {};
  for (const field of fields) {
    const value = entered[field.name];
    if (field.kind === 'boolean') {
      const ticked = value === true;
      if (ticked !== (field.defaultValue === true)) options[field.name] = ticked;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') continue;
    if (field.kind === 'integer' || field.kind === 'number') {
      const number = Number(text);
      if (!Number.isFinite(number) || (field.kind === 'integer' && !Number.isInteger(number))) {
        throw new OptionInputError(field.name, `${field.label}: enter ${field.kind === 'integer' ? 'a whole number' : 'a number'}`);
      }
      options[field.name] = number;
    } else if (field.acceptsInteger && /^\d+$/.test(text)) {
      options[field.name] = Number(text);
    } else {
      options[field.name] = text;
    }
  }
  return options;
}

/**
 * What the form should show for a preset: its params, and every other field empty.
 * @param {OptionField[]} fields
 * @param {Record<string, unknown>} params
 * @returns {Record<string, string | boolean>}
 */
export function presetEntries(fields, params) {
  return Object.fromEntries(
    fields.map((field) => {
      const value = params[field.name];
      if (field.kind === 'boolean') return [field.name, value === undefined ? field.defaultValue === true : value === true];
      return [field.name, value === undefined ? '' : String(value)];
    }),
  );
}
