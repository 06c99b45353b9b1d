#include "naive_reference.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace uibnas::testing {
namespace {

using Tensor = std::vector<double>;  // NCHW, batch 1

const std::vector<float>& P(const runtime::ParameterMap& p, const std::string& key) { return p.at(key).data; }

double activate(arch_defs::Activation a, double x) {
  switch (a) {
    case arch_defs::Activation::ReLU: return x > 0 ? x : 0;
    case arch_defs::Activation::ReLU6: return std::min(std::max(x, 0.0), 6.0);
    case arch_defs::Activation::GELU: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case arch_defs::Activation::HardSwish: return x * std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0;
    case arch_defs::Activation::SiLU: return x / (1.0 + std::exp(-x));
    case arch_defs::Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case arch_defs::Activation::HardSigmoid: return std::min(std::max(x + 3.0, 0.0), 6.0) / 6.0;
  }
  return x;
}

// Grouped conv with zero padding; groups = 1 (dense) or channels (depthwise).
Tensor conv(const Tensor& x, const arch_defs::TensorShape& in, const arch_defs::TensorShape& out, const std::vector<float>& w, int k, int stride,
            int pad, bool depthwise) {
  Tensor y(size_t(out.elements()), 0.0);
  for (int oc = 0; oc < out.c; ++oc)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        double acc = 0;
        const int ic_begin = depthwise ? oc : 0, ic_end = depthwise ? oc + 1 : in.c;
        for (int ic = ic_begin; ic < ic_end; ++ic)
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx) {
              const int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              const size_t widx = depthwise ? (size_t(oc) * k + ky) * k + kx : ((size_t(oc) * in.c + ic) * k + ky) * k + kx;
              acc += double(w[widx]) * x[(size_t(ic) * in.h + iy) * in.w + ix];
            }
        y[(size_t(oc) * out.h + oy) * out.w + ox] = acc;
      }
  return y;
}

}  // namespace

NaiveResult run_naive(const arch_defs::OperatorList& ops, const runtime::ParameterMap& params, const std::vector<float>& input) {
  std::vector<Tensor> values(ops.ops.size());
  const Tensor x0(input.begin(), input.end());
  for (size_t i = 0; i < ops.ops.size(); ++i) {
    const arch_defs::Operator& op = ops.ops[i];
    auto in = [&](size_t j) -> const Tensor& { return op.inputs[j] < 0 ? x0 : values[op.inputs[j]]; };
    const arch_defs::TensorShape& s = op.in.front();
    const size_t hw = size_t(op.out.h) * op.out.w;
    Tensor y;
    switch (op.kind) {
      case arch_defs::OpKind::Conv:
      case arch_defs::OpKind::PointwiseConv:
        y = conv(in(0), s, op.out, P(params, op.name + ".weight"), op.kernel, op.stride, op.pad, false);
        if (op.bias)
          for (int c = 0; c < op.out.c; ++c)
            for (size_t p = 0; p < hw; ++p) y[c * hw + p] += P(params, op.name + ".bias")[c];
        break;
      case arch_defs::OpKind::ChannelScale:
        y = in(0);
        for (int c = 0; c < op.out.c; ++c)
          for (size_t p = 0; p < hw; ++p) y[c * hw + p] *= in(1)[c];
        break;
      case arch_defs::OpKind::DepthwiseConv:
        y = conv(in(0), s, op.out, P(params, op.name + ".weight"), op.kernel, op.stride, op.pad, true);
        break;
      case arch_defs::OpKind::BatchNorm: {
        y = in(0);
        const auto &g = P(params, op.name + ".weight"), &b = P(params, op.name + ".bias");
        const auto &mean = P(params, op.name + ".running_mean"), &var = P(params, op.name + ".running_var");
        for (int c = 0; c < op.out.c; ++c)
          for (size_t p = 0; p < hw; ++p) {
            double& v = y[c * hw + p];
            v = (v - mean[c]) / std::sqrt(double(var[c]) + 1e-5) * g[c] + b[c];
          }
        break;
      }
      case arch_defs::OpKind::Act:
        y = in(0);
        for (double& v : y) v = activate(op.act, v);
        break;
      case arch_defs::OpKind::LayerScale: {
        y = in(0);
        const auto& g = P(params, op.name + ".gamma");
        for (int c = 0; c < op.out.c; ++c)
          for (size_t p = 0; p < hw; ++p) y[c * hw + p] *= g[c];
        break;
      }
      case arch_defs::OpKind::Add:
        y = in(0);
        for (size_t j = 0; j < y.size(); ++j) y[j] += in(1)[j];
        break;
      case arch_defs::OpKind::AvgPool:
        y.assign(size_t(op.out.elements()), 0.0);
        for (int c = 0; c < op.out.c; ++c)
          for (int oy = 0; oy < op.out.h; ++oy)
            for (int ox = 0; ox < op.out.w; ++ox) {
              double acc = 0;
              for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) acc += in(0)[(size_t(c) * s.h + 2 * oy + dy) * s.w + 2 * ox + dx];
              y[(size_t(c) * op.out.h + oy) * op.out.w + ox] = acc / 4;
            }
        break;
      case arch_defs::OpKind::BlurPool: {
        std::vector<float> w(size_t(s.c) * 9);
        const double taps[3] = {0.25, 0.5, 0.25};
        for (int c = 0; c < s.c; ++c)
          for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) w[c * 9 + a * 3 + b] = float(taps[a] * taps[b]);
        y = conv(in(0), s, op.out, w, 3, 2, 1, true);
        break;
      }
      case arch_defs::OpKind::GlobalAvgPool: {
        y.assign(size_t(s.c), 0.0);
        const size_t in_hw = size_t(s.h) * s.w;
        for (int c = 0; c < s.c; ++c) {
          for (size_t p = 0; p < in_hw; ++p) y[c] += in(0)[c * in_hw + p];
          y[c] /= double(in_hw);
        }
        break;
      }
      case arch_defs::OpKind::Linear: {
        const auto &w = P(params, op.name + ".weight"), &b = P(params, op.name + ".bias");
        y.assign(size_t(op.out.c), 0.0);
        for (int o = 0; o < op.out.c; ++o) {
          double acc = b[o];
          for (int c = 0; c < s.c; ++c) acc += double(w[size_t(o) * s.c + c]) * in(0)[c];
          y[o] = acc;
        }
        break;
      }
      case arch_defs::OpKind::Attention: {
        // q: [h*kd, H, W] head-major channels; k: [kd, Hk, Wk]; v: [vd, Hk, Wk].
        const Tensor &q = in(0), &k = in(1), &v = in(2);
        const size_t n = hw, m = size_t(op.in[1].h) * op.in[1].w;
        const int h = op.heads, kd = op.key_dim, vd = op.value_dim;
        y.assign(size_t(op.out.elements()), 0.0);
        std::vector<double> score(m);
        for (int head = 0; head < h; ++head)
          for (size_t i = 0; i < n; ++i) {
            double mx = -1e300;
            for (size_t j = 0; j < m; ++j) {
              double dot = 0;
              for (int d = 0; d < kd; ++d) dot += q[(size_t(head) * kd + d) * n + i] * k[size_t(d) * m + j];
              score[j] = dot / std::sqrt(double(kd));
              mx = std::max(mx, score[j]);
            }
            double sum = 0;
            for (double& sc : score) sum += (sc = std::exp(sc - mx));
            for (int d = 0; d < vd; ++d) {
              double acc = 0;
              for (size_t j = 0; j < m; ++j) acc += score[j] / sum * v[size_t(d) * m + j];
              y[(size_t(head) * vd + d) * n + i] = acc;
            }
          }
        break;
      }
    }
    values[i] = std::move(y);
  }
  NaiveResult r;
  r.logits = values[ops.output];
  for (int s : ops.stage_outputs) r.stages.push_back(values[s]);
  return r;
}

}  // namespace uibnas::testing
