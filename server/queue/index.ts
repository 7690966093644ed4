/** The queue module of the central platform (tickets, windows, calls, appointments). */
import type { ServerModule } from '../context.ts';

export const registerQueue: ServerModule = () => {
  // Filled in by the queue module's own work; registered by server/app.ts.
};
