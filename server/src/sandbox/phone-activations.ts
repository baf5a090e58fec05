import type { PendingActivation, SandboxUser } from './types';

/**
 * The activations the virtual phone offers: one per person waiting to enrol, so "Complete activation" is never
 * there twice for the same thing. An unknown user's sign-in leaves two pending activations behind: preauth opens an
 * enrolment portal link and the plugin then asks `/auth/v2/enroll` for the QR code it shows. Completing the portal
 * one does not activate that QR code, so the phone offers the QR code's activation (the newest one, which is what a
 * reloaded sign-in page shows) and the portal only to a user with no activation code and no device yet.
 * `pendingActivations` in the snapshot keeps the full list for tests and the control API.
 */
export function phoneActivations(
  pending: readonly PendingActivation[],
  users: readonly SandboxUser[],
): PendingActivation[] {
  const newestEnroll = new Map<string, PendingActivation>();
  for (const activation of pending) {
    if (activation.kind !== 'enroll') continue;
    const seen = newestEnroll.get(activation.username);
    if (!seen || activation.expiration >= seen.expiration) newestEnroll.set(activation.username, activation);
  }
  const offered = new Set<string>();
  const shown: PendingActivation[] = [];
  for (const activation of pending) {
    const { username } = activation;
    if (offered.has(username)) continue;
    const enroll = newestEnroll.get(username);
    if (activation.kind === 'enroll' && activation !== enroll) continue;
    if (activation.kind === 'portal') {
      const user = users.find((u) => u.username === username);
      if (enroll || (user && user.devices.length > 0)) continue;
    }
    offered.add(username);
    shown.push(activation);
  }
  return shown;
}
