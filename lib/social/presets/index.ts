import type { PresetKind } from "../types";
import { facebook } from "./facebook";
import { github } from "./github";
import { google } from "./google";
import { linkedin } from "./linkedin";
import type { Preset } from "./preset";
import { slack } from "./slack";
import { yahoo } from "./yahoo";

export type { Preset } from "./preset";

/** Every built-in provider by kind. */
export const presets: Readonly<Record<PresetKind, Preset>> = {
  google,
  github,
  facebook,
  linkedin,
  slack,
  yahoo,
};

export function isPresetKind(kind: string): kind is PresetKind {
  return Object.hasOwn(presets, kind);
}
