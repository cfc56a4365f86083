/** Input a schema could not judge (an unknown place, a foreign cursor): a 400 naming the field. */
export class InputError extends Error {
  constructor(readonly field: string, readonly messages: { en: string; fr: string }) {
    super(messages.en);
    this.name = 'InputError';
  }
}

/** A `cursor` that no page of ours handed out (typed, truncated, or from another list). */
export const foreignCursor = () => new InputError('cursor', {
  en: 'The cursor is not one this service gave out: start again without it.',
  fr: "Ce curseur n'a pas été fourni par ce service : recommencez sans lui.",
});
