import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.scss';
import { App } from './App';

// The staff consoles are separate chunks: the public never downloads them.
const StaffApp = lazy(() => import('./staff/StaffApp'));
const staff = location.pathname === '/staff' || location.pathname.startsWith('/staff/');

createRoot(document.getElementById('root')!).render(<StrictMode>{staff ? <Suspense fallback={null}><StaffApp /></Suspense> : <App />}</StrictMode>);
