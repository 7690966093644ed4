/** A QR code as an inline image (the page's CSP allows data: images, nothing remote). */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

export function QrCode({ value, size = 220, label }: { value: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { margin: 1, width: size, errorCorrectionLevel: 'M' }).then((url) => live && setSrc(url), () => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [value, size]);
  return (
    <figure className="qr" data-testid="qr" data-value={value}>
      {src ? <img src={src} width={size} height={size} alt={label} /> : <div style={{ width: size, height: size }} />}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
