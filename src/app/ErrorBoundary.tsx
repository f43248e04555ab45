import { Component, type ReactNode } from 'react';

/** Last line of defence: a view that throws shows what happened and a way back, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h2>This view hit an error</h2>
        <p>{this.state.error.message}</p>
        <p>Your parameters are still in the address bar.</p>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
