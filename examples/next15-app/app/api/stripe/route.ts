// Route segment config must be written in the route file itself; the handler is the Next.js 16 example's.
export { POST } from '../../../../next-app/app/api/stripe/route'
