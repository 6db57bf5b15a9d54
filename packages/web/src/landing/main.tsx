import { mount } from '../shared/mount';
import { App } from './App';

mount(<App />);
