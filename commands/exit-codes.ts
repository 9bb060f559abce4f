/** Exit codes pipelines can branch on. */
export const EXIT_OK = 0;
/** The user's input or the cluster's answer is wrong: the message says what to fix. */
export const EXIT_USER_ERROR = 1;
/** A bug in kite: the message asks for a report. */
export const EXIT_INTERNAL_ERROR = 2;
