/**
 * Too many concurrent writers kept changing the same customer or order; nothing was written.
 * HTTP answers 503 with Retry-After, so platforms and clients simply try again.
 */
export class ContentionError extends Error {
  constructor(message = 'The same customer or order is being changed by other requests; retry shortly') {
    super(message);
    this.name = 'ContentionError';
  }
}

/** A pagination cursor that was not issued for this listing. */
export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid for this listing');
    this.name = 'InvalidCursorError';
  }
}
