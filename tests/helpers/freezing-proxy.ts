import net from 'node:net';

/**
 * A TCP proxy that can freeze: while frozen it keeps every connection open (old and new) but forwards
 * nothing, as a stalled database, a hung load balancer or a half-dead network path would. Thawing
 * forwards what was held and carries on.
 */
export type FreezingProxy = {
  port: number;
  freeze: () => void;
  thaw: () => void;
  close: () => Promise<void>;
};

/** Starts a freezing proxy on a free loopback port in front of `target`. */
export async function startFreezingProxy(target: { host: string; port: number }): Promise<FreezingProxy> {
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk: Buffer) => {
      const send = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (frozen) held.push(send);
      else send();
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const send of held.splice(0)) send();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
