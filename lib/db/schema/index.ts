export * from "./apps";
export * from "./events";
export * from "./installation";
export * from "./keys";
export * from "./realms";
export * from "./security";
export * from "./sessions";
export * from "./users";
