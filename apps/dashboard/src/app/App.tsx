import { StatusPanel } from '../features/health/components/StatusPanel';
import { SessionPanel } from '../features/session/components/SessionPanel';

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <div>
            <h1 className="brand">Custos</h1>
            <p className="tagline">Token lifecycle management</p>
          </div>
          <nav aria-label="API reference">
            <ul className="nav-links">
              <li>
                <a href="/docs">API docs</a>
              </li>
              <li>
                <a href="/openapi.json">OpenAPI document</a>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="layout" tabIndex={-1}>
        <div className="layout-primary">
          <SessionPanel />
        </div>
        <aside className="layout-secondary" aria-label="Service">
          <StatusPanel />
        </aside>
      </main>
    </>
  );
}
