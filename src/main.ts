import { mount } from 'svelte';
import App from './app/App.svelte';
import './app/styles/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('TLS Lab: the #app element is missing from index.html');
mount(App, { target });
