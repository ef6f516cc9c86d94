import { z } from 'zod';

/** A message kind declared once: its type name, schema version and payload schema. */
export interface MessageDefinition<Type extends string, Schema extends z.ZodTypeAny> {
  readonly type: Type;
  readonly version: number;
  readonly schema: Schema;
}

export function defineMessage<Type extends string, Schema extends z.ZodTypeAny>(
  type: Type,
  version: number,
  schema: Schema,
): MessageDefinition<Type, Schema> {
  return { type, version, schema };
}

/** A typed message value: `{ type: 'ConversionRequested', data: {...} }`. */
export type MessageOf<Definition> = Definition extends MessageDefinition<infer Type, infer Schema>
  ? { type: Type; data: z.infer<Schema> }
  : never;

/** The union of the typed messages of a record of definitions. */
export type MessagesOf<Definitions> = { [Name in keyof Definitions]: MessageOf<Definitions[Name]> }[keyof Definitions];
