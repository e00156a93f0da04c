import type { Express, Request, Response } from 'express';
import QRCode from 'qrcode';

/**
 * `GET /emulator/qr/:kind/:configId.png`: the QR code image of a contact way (`contact`) or group join way
 * (`join`), encoding a link of the shape WeCom's codes carry. WeCom serves these images from its CDN; the
 * emulator serves its own so pages that show them work offline.
 */
export function registerQrImages(app: Express): void {
  app.get('/emulator/qr/:kind/:file', async (req: Request, res: Response) => {
    const kind = req.params.kind;
    const m = /^([0-9a-f]{8,64})\.png$/.exec(String(req.params.file));
    if ((kind !== 'contact' && kind !== 'join') || !m) {
      res.status(404).json({ errcode: 404, errmsg: 'emulator: no such QR code' });
      return;
    }
    const png = await QRCode.toBuffer(`https://work.weixin.qq.com/${kind === 'join' ? 'gj' : 'ca'}/${m[1]}`, {
      type: 'png',
      width: 256,
      margin: 2,
    });
    res.type('png').send(png);
  });
}
