export { createFileStorage } from './file-storage.js';
