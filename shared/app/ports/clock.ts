/** Time is injected so rules and scheduled jobs can be run "as of" any instant. */
export interface Clock {
  now(): Date;
}
