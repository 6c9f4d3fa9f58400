/** The form field the ALTCHA widget writes its payload into (the widget's default name). */
export const ALTCHA_FIELD = "altcha";
