export { ALTCHA_FIELD, type Altcha, createAltcha, type Difficulty, defaultDifficulty } from "./altcha";
