export { createEvents, type EventInput, type Events, type EventType, type RequestContext } from "./events";
