/** Counts of the open plain sockets, as GET /api/v1/ws/stats reports them. */
export interface SocketStats {
  active_connections: number;
  subscribers: { system: number; training: number; training_tasks: number };
}

export type Subscription = { kind: 'system' } | { kind: 'training'; experimentId: string };

export class SocketRegistry {
  private system = 0;
  private training = 0;
  /** Subscriptions per watched session; a session leaves the map with its last socket. */
  private readonly watched = new Map<string, number>();

  /** Counts one open socket; the returned function uncounts it (once, however often called). */
  open(subscription: Subscription): () => void {
    if (subscription.kind === 'system') this.system++;
    else {
      this.training++;
      this.watched.set(subscription.experimentId, (this.watched.get(subscription.experimentId) ?? 0) + 1);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (subscription.kind === 'system') this.system--;
      else {
        this.training--;
        const left = (this.watched.get(subscription.experimentId) ?? 1) - 1;
        if (left === 0) this.watched.delete(subscription.experimentId);
        else this.watched.set(subscription.experimentId, left);
      }
    };
  }

  snapshot(): SocketStats {
    return {
      active_connections: this.system + this.training,
      subscribers: { system: this.system, training: this.training, training_tasks: this.watched.size },
    };
  }
}
