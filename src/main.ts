import { mount } from 'svelte';
import App from './app/App.svelte';
import './app/styles/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('TLS Lab: the #app element is missing from index.html');
mount(App, { target });

// Offline: the service worker precaches the built site (production builds only; its scope is the base path).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    const url = new URL(`${import.meta.env.BASE_URL}sw.js`, window.location.href);
    navigator.serviceWorker.register(url).catch(() => {
      // No service worker (private mode, file://): the app works online as before.
    });
  });
}
