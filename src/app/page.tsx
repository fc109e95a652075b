import { createCaller } from '@/server/api/root';
import { getServices } from '@/server/appContext';

// Reads live data on every request.
export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const api = createCaller({ services: getServices() });
  const { items } = await api.session.list({ limit: 50 });
  return (
    <main className="mx-auto max-w-5xl p-8">
      <h1 className="text-2xl font-semibold">CV Studio Monitor</h1>
      <h2 className="mt-6 text-sm uppercase tracking-wide text-zinc-400">Training runs</h2>
      {items.length === 0 ? (
        <p className="mt-2 text-zinc-400">No runs yet.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm">
          <thead className="text-zinc-400">
            <tr>
              <th className="py-1">Experiment</th>
              <th>Status</th>
              <th>Epoch</th>
              <th>Logs</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} className="border-t border-zinc-800">
                <td className="py-1 font-mono">{s.experimentId}</td>
                <td>{s.status}</td>
                <td>
                  {s.currentEpoch} / {s.totalEpochs}
                </td>
                <td>{s.logCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
