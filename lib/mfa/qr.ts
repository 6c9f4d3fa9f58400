import QRCode from "qrcode";

/**
 * The QR code of an `otpauth://` URI as an SVG data URL, for an `<img>` (the CSP allows `img-src
 * data:`): rendered on the server, so the page needs no script and the key never reaches a third
 * party. Error correction M survives a phone camera at an angle; the margin is the quiet zone
 * scanners need.
 */
export async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
