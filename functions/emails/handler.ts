// Placeholder while the function is being built.
export const handler = async (): Promise<unknown> => ({ statusCode: 501 });
