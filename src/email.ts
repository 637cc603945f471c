/** Whether `value` looks like an email: text, one `@`, no whitespace. HubSpot checks the rest. */
export const isEmail = (value: unknown): value is string =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value);
