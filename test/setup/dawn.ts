import { installDawn } from '../../src/gpu/node';

installDawn();
