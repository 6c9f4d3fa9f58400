export { createRealmSchema, createRealms, type Realm, type Realms, updateRealmSchema } from "./realms";
export { type RealmSettings, readSettings, realmSettingsSchema } from "./settings";
export { realmSlugSchema } from "./slug";
