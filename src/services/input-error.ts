/** Input a schema could not judge (an unknown place, a foreign cursor): a 400 naming the field. */
export class InputError extends Error {
  constructor(readonly field: string, readonly messages: { en: string; fr: string }) {
    super(messages.en);
    this.name = 'InputError';
  }
}
