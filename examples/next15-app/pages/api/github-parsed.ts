// The body parser is left on here on purpose, as in ../next-app.
export { default } from '../../../next-app/pages/api/github-parsed'
