/** A crashed screen says so in one plain sentence and returns home by itself; no trace reaches the citizen. */
import { Component, type ReactNode } from 'react';
import i18next from 'i18next';

interface Props {
  onReset: () => void;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { crashed: boolean }> {
  override state = { crashed: false };
  private timer: ReturnType<typeof setTimeout> | null = null;

  static getDerivedStateFromError(): { crashed: boolean } {
    return { crashed: true };
  }

  override componentDidCatch(error: Error): void {
    // The message only, never the props or state (they may hold what the citizen entered).
    console.error('kiosk screen crashed:', error.message);
    this.timer = setTimeout(() => this.props.onReset(), 1500);
  }

  override componentWillUnmount(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  override render(): ReactNode {
    if (this.state.crashed) {
      return (
        <div className="crashed" role="alert" data-testid="crashed">
          {i18next.t('crashed')}
        </div>
      );
    }
    return this.props.children;
  }
}
