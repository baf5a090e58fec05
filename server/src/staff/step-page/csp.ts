import { resolveDuoEndpoint } from '../../duo/hostname-policy';

/**
 * The step page's own Content-Security-Policy, replacing the app-wide one for this page only: scripts and styles
 * from this origin, calls to this origin, images from here (the logo, also as a data: URL) and from Duo's API host
 * (the activation QR code), nothing framed, no form posted anywhere.
 */
export function stepPageCsp(apiHostname: string, production: boolean): string {
  const images = ["'self'", 'data:'];
  const duo = duoOrigin(apiHostname, production);
  if (duo !== null) images.push(duo);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images.join(' ')}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where Duo serves the QR image; null while Duo is not configured (there is then no QR code to show). */
function duoOrigin(apiHostname: string, production: boolean): string | null {
  if (apiHostname.trim() === '') return null;
  try {
    return resolveDuoEndpoint(apiHostname, production).origin;
  } catch {
    return null;
  }
}
