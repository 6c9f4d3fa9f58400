export { type Altcha, createAltcha, type Difficulty, defaultDifficulty } from "./altcha";
export { ALTCHA_FIELD } from "./field";
