/** A provider's refusal or failure; `permanent` when trying again cannot help (a rejected address, an invalid number). */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'DeliveryError';
  }
}
