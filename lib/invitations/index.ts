export {
  createInvitationSchema,
  createInvitations,
  type Invitation,
  type InvitationStatus,
  type Invitations,
} from "./invitations";
