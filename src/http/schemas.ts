import { Type } from 'typebox';

/** Responses every operation can give, by reference to the shared Error schema. */
export const errorResponses = {
  400: Type.Ref('Error'),
  404: Type.Ref('Error'),
  500: Type.Ref('Error'),
};

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A calendar day, 'YYYY-MM-DD'. */
export const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
